// The dashboard's live parts (SPEC §12): starts runs through the API with the session cookie and
// the page's anti-forgery token, polls the run until it ends, and keeps the history current.
// Text reaches the page through textContent only, so nothing from a run can become markup.
'use strict';
(function () {
  const POLL_MS = 1000;
  const HISTORY_MS = 30000;
  const STATUS = {
    success: 'Concluída', failed: 'Falhou', partial: 'Parcial', running: 'Em andamento',
    interrupted: 'Interrompida', cancelled: 'Cancelada', pending: 'Aguardando',
    skipped: 'Ignorada', unchanged: 'Sem mudanças'
  };
  const TRIGGER = { http: 'Portal ou API', cli: 'Linha de comando', schedule: 'Agendamento' };
  const number = new Intl.NumberFormat('pt-BR');
  const decimal = new Intl.NumberFormat('pt-BR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const dateTime = new Intl.DateTimeFormat('pt-BR', { dateStyle: 'short', timeStyle: 'medium' });

  const forms = Array.from(document.querySelectorAll('form[data-run]'));
  const message = document.getElementById('mensagem');
  const panel = document.getElementById('progresso');
  const title = document.getElementById('t-progresso');
  const summary = document.getElementById('progresso-resumo');
  const bar = document.getElementById('progresso-barra');
  const stepList = document.getElementById('progresso-etapas');
  const history = document.querySelector('#historico tbody');
  let following = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function badge(status) { return el('span', 'badge s-' + status, STATUS[status] || status); }

  function seconds(value) {
    if (value === null || value === undefined) return '—';
    if (value < 60) return decimal.format(value) + ' s';
    const minutes = Math.floor(value / 60);
    return minutes + ' min ' + String(Math.round(value % 60)).padStart(2, '0') + ' s';
  }

  function selection(text) { return text === 'all' ? 'Tudo' : text; }

  function say(text, kind) {
    message.textContent = text;
    message.className = 'message' + (kind ? ' ' + kind : '');
  }

  function setBusy(busy) {
    forms.forEach(function (form) { form.querySelector('button').disabled = busy; });
  }

  async function api(path, init) {
    const response = await fetch(path, Object.assign({ credentials: 'same-origin', headers: { Accept: 'application/json' } }, init));
    if (response.status === 401) {
      window.location.assign('/login');
      throw new Error('sessão expirada');
    }
    let body = null;
    try { body = await response.json(); } catch (ignored) { body = null; }
    return { status: response.status, body: body };
  }

  async function start(form) {
    const token = form.querySelector('input[name=csrf_token]').value;
    const what = form.dataset.label;
    setBusy(true);
    say('Iniciando a atualização de ' + what + '…');
    let answer;
    try {
      answer = await api(form.action, { method: 'POST', headers: { Accept: 'application/json', 'X-CSRF-Token': token } });
    } catch (error) {
      say('O servidor não respondeu. Tente de novo em instantes.', 'error');
      setBusy(false);
      return;
    }
    const body = answer.body || {};
    if (answer.status === 202) {
      say('Atualização de ' + what + ' iniciada.', 'ok');
      follow(body.run_id);
    } else if (answer.status === 409) {
      say('Já há uma atualização em andamento' + (body.run_id ? ' (' + body.run_id + ')' : '') + '. Acompanhe abaixo.', 'warn');
      if (body.run_id) follow(body.run_id); else setBusy(false);
    } else {
      say('Não foi possível iniciar: ' + (body.error || 'erro ' + answer.status), 'error');
      setBusy(false);
    }
  }

  function follow(runId) {
    following = runId;
    panel.hidden = false;
    setBusy(true);
    const tick = async function () {
      if (following !== runId) return;
      let answer;
      try {
        answer = await api('/api/etl/runs/' + encodeURIComponent(runId));
      } catch (error) {
        setTimeout(tick, POLL_MS * 3);
        return;
      }
      if (answer.status !== 200) {
        summary.textContent = 'Não foi possível acompanhar a execução ' + runId + '.';
        setBusy(false);
        return;
      }
      render(answer.body);
      if (answer.body.status === 'running') {
        setTimeout(tick, POLL_MS);
      } else {
        following = null;
        setBusy(false);
        say('Atualização ' + runId + ': ' + (STATUS[answer.body.status] || answer.body.status).toLowerCase() + '.',
          answer.body.status === 'success' ? 'ok' : 'error');
        loadHistory();
      }
    };
    tick();
  }

  function render(run) {
    const steps = run.steps || [];
    const done = steps.filter(function (s) { return s.status !== 'pending' && s.status !== 'running'; }).length;
    const rows = steps.reduce(function (sum, s) { return sum + (s.rows || 0); }, 0);
    title.textContent = run.status === 'running' ? 'Execução em andamento' : 'Última execução';
    summary.textContent = (STATUS[run.status] || run.status) + ' · ' + done + ' de ' + steps.length + ' etapas · ' +
      number.format(rows) + ' linhas' + (run.error ? ' · ' + run.error : '');
    bar.max = Math.max(steps.length, 1);
    bar.value = done;
    stepList.replaceChildren.apply(stepList, steps.map(function (step) {
      const item = el('li', 'step');
      item.append(el('span', 'step-name', step.step), badge(step.status));
      const finished = step.status !== 'pending' && step.status !== 'running';
      item.append(el('span', 'step-detail', finished ? number.format(step.rows) + ' linhas · ' + seconds(step.seconds) : ''));
      if (step.error) item.append(el('p', 'step-error', step.error));
      return item;
    }));
  }

  function cell(label, content, className) {
    const td = el('td', className);
    td.dataset.label = label;
    if (content instanceof Node) td.append(content); else td.textContent = content;
    return td;
  }

  function errors(run) {
    if (!run.failed && !run.error) return '—';
    const details = el('details');
    const count = run.failed || 1;
    details.append(el('summary', null, count + (count === 1 ? ' erro' : ' erros')));
    details.append(el('p', null, run.error || 'Veja as etapas da execução.'));
    return details;
  }

  async function loadHistory() {
    let answer;
    try { answer = await api('/api/etl/runs?limit=20'); } catch (error) { return []; }
    if (answer.status !== 200) {
      const td = el('td', null, 'Não foi possível carregar o histórico.');
      td.colSpan = 7;
      history.replaceChildren(el('tr'));
      history.firstChild.append(td);
      return [];
    }
    const runs = answer.body.runs;
    if (runs.length === 0) {
      const td = el('td', null, 'Nenhuma execução registrada ainda.');
      td.colSpan = 7;
      history.replaceChildren(el('tr'));
      history.firstChild.append(td);
      return runs;
    }
    history.replaceChildren.apply(history, runs.map(function (run) {
      const row = el('tr');
      row.append(
        cell('Início', dateTime.format(new Date(run.started_at))),
        cell('Seleção', selection(run.selection)),
        cell('Origem', TRIGGER[run.trigger] || run.trigger),
        cell('Status', badge(run.status)),
        cell('Duração', seconds(run.seconds), 'num'),
        cell('Linhas', number.format(run.rows), 'num'),
        cell('Erros', errors(run)));
      return row;
    }));
    return runs;
  }

  forms.forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      start(form);
    });
  });

  loadHistory().then(function (runs) {
    const running = runs.find(function (run) { return run.status === 'running'; });
    if (running) follow(running.run_id);
  });
  setInterval(function () { if (!following) loadHistory(); }, HISTORY_MS);
})();
