-- The example's source: a stand-in for an application database (note the hyphenated schema name).
CREATE SCHEMA IF NOT EXISTS "shop-source";

CREATE TABLE "shop-source"."customers" (
    id          bigint PRIMARY KEY,
    full_name   text NOT NULL,          -- personal data: never copied to staging
    region      text,
    created_at  timestamptz NOT NULL
);

CREATE TABLE "shop-source"."orders" (
    id           bigint PRIMARY KEY,
    customer_id  bigint NOT NULL REFERENCES "shop-source"."customers" (id),
    status       text,
    total        numeric(12, 2) NOT NULL,
    ordered_at   timestamptz NOT NULL
);

INSERT INTO "shop-source"."customers" (id, full_name, region, created_at) VALUES
    (1, 'Ana Souza', 'SP', '2025-01-05 10:00-03'),
    (2, 'Bruno Lima', 'RJ', '2025-02-11 15:30-03'),
    (3, 'Carla Dias', 'sp ', '2025-03-20 09:15-03'),
    (4, 'Davi Rocha', NULL, '2025-04-02 23:50-03');

INSERT INTO "shop-source"."orders" (id, customer_id, status, total, ordered_at) VALUES
    (10, 1, 'Completed', 120.00, '2025-05-01 10:00-03'),
    (11, 1, 'completed ', 80.50, '2025-05-01 23:30-03'),
    (12, 2, 'CANCELLED', 45.00, '2025-05-02 00:30-03'),
    (13, 3, 'completed', 200.00, '2025-05-02 12:00-03'),
    (14, 4, 'pending', 99.90, '2025-05-03 08:00-03'),
    (15, 2, 'completed', 15.25, '2025-05-03 21:00-03');
