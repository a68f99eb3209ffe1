// The console's one stylesheet, served at `<basePath>/style.css` so the CSP needs no inline style.
export const STYLESHEET = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #1f5fbf; --bad: #b3261e; --ok: #1e7b34; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
header { background: #1d2330; color: #fff; padding: 10px 20px; display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
header h1 { font-size: 16px; margin: 0; }
header nav a { color: #cfd8ea; margin-right: 14px; text-decoration: none; }
header nav a[aria-current="page"] { color: #fff; font-weight: 600; border-bottom: 2px solid #fff; }
main { padding: 16px 20px; max-width: 1200px; }
h2 { font-size: 18px; margin: 8px 0 12px; }
h3 { font-size: 15px; margin: 18px 0 8px; }
table { border-collapse: collapse; width: 100%; background: #fff; margin-bottom: 12px; }
th, td { border: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f6; font-weight: 600; }
pre { margin: 0; max-height: 240px; overflow: auto; white-space: pre-wrap; word-break: break-word; font-size: 12px; }
form.inline { display: inline; }
button { font: inherit; padding: 3px 10px; border: 1px solid var(--accent); background: #fff; color: var(--accent); border-radius: 4px; cursor: pointer; }
button.danger { border-color: var(--bad); color: var(--bad); }
.filters { display: flex; gap: 10px; flex-wrap: wrap; align-items: end; margin-bottom: 12px; }
.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
.notice { padding: 8px 12px; background: #e7f4ea; border: 1px solid #b6dcbf; margin-bottom: 12px; }
.error { padding: 8px 12px; background: #fbeaea; border: 1px solid #e6b3b0; margin-bottom: 12px; }
.muted { color: var(--muted); }
.state-open { color: var(--bad); font-weight: 600; }
.state-closed { color: var(--ok); font-weight: 600; }
.state-half-open { color: #9a6700; font-weight: 600; }
.pager a { margin-right: 12px; }
.tabs a { margin-right: 12px; }
.tabs a[aria-current="true"] { font-weight: 600; }
`;
