"""Row-for-row comparison of the engine's four marts with the hand-written script's (bench/handwritten-marts.sql).

Each mart is compared on the columns SPEC §9.5 names (the engine may add more): the rows one has
and the other lacks, counted with EXCEPT ALL both ways. Usage: python3 bench/compare_marts.py URL [mart_schema]
Prints one line per mart and exits 1 on any difference.
"""
import subprocess, sys

MARTS = {
    "patients": "period_month, age_group, gender_identity, sexual_orientation, pronoun, total_patients, active_patients, "
                "inactive_patients, active_percentage, growth_rate",
    "patient_disability": "period_month, disability_type, total_patients, active_patients, inactive_patients",
    "professionals": "professional_id, specialty, state, profile_status, active, published, total_appointments, "
                     "completed_appointments, ratings_count, avg_rating, suppressed",
    "professional_appointments": "period_month, professional_id, specialty, total_appointments, completed_appointments, "
                                 "cancelled_appointments, no_show_appointments, online_total, online_completed, online_cancelled, "
                                 "in_person_total, in_person_completed, in_person_cancelled, completion_rate, cancellation_rate, "
                                 "cancellation_rate_online, cancellation_rate_in_person, avg_waiting_days",
}

def compare(url, mart_schema="lacreisaude_mart", handwritten="bench_handwritten"):
    """[(mart, engine rows, script rows, rows only the engine has, rows only the script has)]"""
    out = []
    for mart, columns in MARTS.items():
        e, h = f"{mart_schema}.{mart}", f"{handwritten}.{mart}"
        sql = (f"SELECT (SELECT count(*) FROM {e}), (SELECT count(*) FROM {h}), "
               f"(SELECT count(*) FROM (SELECT {columns} FROM {e} EXCEPT ALL SELECT {columns} FROM {h}) AS x), "
               f"(SELECT count(*) FROM (SELECT {columns} FROM {h} EXCEPT ALL SELECT {columns} FROM {e}) AS y)")
        row = subprocess.run(["psql", url, "-X", "-At", "-F", " ", "-c", sql], check=True, text=True, capture_output=True).stdout.split()
        out.append((mart, *map(int, row)))
    return out

if __name__ == "__main__":
    result = compare(*sys.argv[1:])
    for mart, engine_rows, script_rows, only_engine, only_script in result:
        print(f"{mart:<26} engine {engine_rows:>7} rows, script {script_rows:>7} rows: "
              + ("same rows" if only_engine == only_script == 0 else f"DIFFERENT ({only_engine} only in the engine's, {only_script} only in the script's)"))
    sys.exit(0 if all(r[3] == r[4] == 0 for r in result) else 1)
