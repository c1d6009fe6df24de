/**
 * The demo dashboard: one self-contained page (no build step, no external assets) that polls the
 * demo supervisor's `/api/cluster` and drives its kill/restart/partition controls.
 */
export const DASHBOARD_HTML = /* html */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>@raft — live cluster</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  :root { --bg:#0f1419; --card:#1a2029; --fg:#e6e6e6; --muted:#8b949e; --leader:#3fb950; --cand:#d29922; --down:#f85149; --accent:#58a6ff; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.45 system-ui, sans-serif; background:var(--bg); color:var(--fg); }
  header { padding:16px 24px; border-bottom:1px solid #30363d; display:flex; gap:24px; align-items:baseline; }
  header h1 { font-size:18px; margin:0; }
  header .summary { color:var(--muted); }
  main { padding:20px 24px; display:grid; gap:20px; }
  .nodes { display:grid; grid-template-columns:repeat(auto-fill,minmax(260px,1fr)); gap:16px; }
  .node { background:var(--card); border:2px solid #30363d; border-radius:10px; padding:14px; }
  .node.leader { border-color:var(--leader); }
  .node.candidate, .node.pre-candidate { border-color:var(--cand); }
  .node.down { border-color:var(--down); opacity:.75; }
  .node h2 { margin:0 0 6px; font-size:16px; display:flex; justify-content:space-between; }
  .role { font-size:12px; padding:2px 8px; border-radius:10px; background:#30363d; }
  .leader .role { background:var(--leader); color:#000; }
  .down .role { background:var(--down); color:#000; }
  dl { display:grid; grid-template-columns:auto 1fr; gap:2px 10px; margin:8px 0; }
  dt { color:var(--muted); } dd { margin:0; font-variant-numeric:tabular-nums; }
  .log { font:12px ui-monospace, monospace; background:#0d1117; border-radius:6px; padding:6px; height:130px; overflow:auto; }
  .log div { white-space:nowrap; overflow:hidden; text-overflow:ellipsis; }
  .log .uncommitted { color:var(--muted); }
  .buttons { display:flex; gap:6px; flex-wrap:wrap; margin-top:8px; }
  button { background:#21262d; color:var(--fg); border:1px solid #30363d; border-radius:6px; padding:5px 10px; cursor:pointer; }
  button:hover { border-color:var(--accent); }
  button.danger:hover { border-color:var(--down); }
  .kv { background:var(--card); border-radius:10px; padding:14px; display:flex; gap:8px; flex-wrap:wrap; align-items:center; }
  input { background:#0d1117; color:var(--fg); border:1px solid #30363d; border-radius:6px; padding:5px 8px; }
  #kv-result { font-family:ui-monospace, monospace; color:var(--accent); }
  #events { font:12px ui-monospace, monospace; color:var(--muted); max-height:160px; overflow:auto; background:var(--card); border-radius:10px; padding:10px; }
</style>
</head>
<body>
<header><h1>@raft live cluster</h1><span class="summary" id="summary">connecting…</span></header>
<main>
  <section class="nodes" id="nodes" aria-live="polite"></section>
  <section class="kv">
    <label>key <input id="key" value="greeting"></label>
    <label>value <input id="value" value="hello raft"></label>
    <button id="put">PUT</button>
    <button id="get">GET</button>
    <span id="kv-result"></span>
  </section>
  <section id="events"></section>
</main>
<script>
const nodesEl = document.getElementById('nodes');
const summaryEl = document.getElementById('summary');
const eventsEl = document.getElementById('events');
let lastLeader = null;

function event(text) {
  const line = document.createElement('div');
  line.textContent = new Date().toLocaleTimeString() + '  ' + text;
  eventsEl.prepend(line);
}

async function post(path) {
  const res = await fetch(path, { method: 'POST' });
  const body = await res.json().catch(() => ({}));
  event(path + ' → ' + res.status + (body.error ? ' ' + body.error : ''));
}

function card(node) {
  const s = node.status;
  const role = !node.alive ? 'down' : s ? s.role : 'starting';
  const el = document.createElement('article');
  el.className = 'node ' + role;
  el.dataset.id = node.id;
  el.dataset.role = role;
  const rows = s ? [['term', s.term], ['leader', s.leader || '—'], ['commit', s.commitIndex], ['applied', s.appliedIndex]] : [];
  el.innerHTML = '<h2>node ' + node.id + ' <span class="role">' + role + (node.partitioned ? ' · partitioned' : '') + '</span></h2>' +
    '<dl>' + rows.map(([k, v]) => '<dt>' + k + '</dt><dd>' + v + '</dd>').join('') + '</dl>' +
    '<div class="log">' + (node.log || []).map((e) => '<div class="' + (s && e.index > s.commitIndex ? 'uncommitted' : '') + '">' +
      e.index + ' · t' + e.term + ' · ' + escapeHtml(e.summary) + '</div>').join('') + '</div>' +
    '<div class="buttons">' +
      (node.alive ? '<button class="danger" data-action="kill">kill</button>' : '<button data-action="restart">restart</button>') +
      (node.partitioned ? '<button data-action="heal">heal</button>' : '<button class="danger" data-action="partition">partition</button>') +
    '</div>';
  el.querySelectorAll('button').forEach((b) => b.addEventListener('click', () => post('/api/nodes/' + node.id + '/' + b.dataset.action)));
  return el;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

async function refresh() {
  try {
    const cluster = await (await fetch('/api/cluster')).json();
    nodesEl.replaceChildren(...cluster.nodes.map(card));
    const leader = cluster.nodes.find((n) => n.alive && n.status && n.status.role === 'leader');
    summaryEl.textContent = cluster.nodes.length + ' nodes · ' + cluster.transport + ' + ' + cluster.storage + ' · ' +
      (leader ? 'leader: node ' + leader.id + ', term ' + leader.status.term : 'no leader');
    summaryEl.dataset.leader = leader ? String(leader.id) : '';
    const id = leader ? leader.id : null;
    if (id !== lastLeader) { event(id ? 'node ' + id + ' is leader' : 'no leader'); lastLeader = id; }
  } catch (error) {
    summaryEl.textContent = 'supervisor unreachable: ' + error.message;
  }
}

document.getElementById('put').addEventListener('click', async () => {
  const key = encodeURIComponent(document.getElementById('key').value);
  const res = await fetch('/api/kv/' + key, { method: 'PUT', body: document.getElementById('value').value });
  document.getElementById('kv-result').textContent = 'PUT → ' + res.status + ' ' + await res.text();
});
document.getElementById('get').addEventListener('click', async () => {
  const key = encodeURIComponent(document.getElementById('key').value);
  const res = await fetch('/api/kv/' + key);
  document.getElementById('kv-result').textContent = 'GET → ' + res.status + ' ' + await res.text();
});

refresh();
setInterval(refresh, 500);
</script>
</body>
</html>
`;
