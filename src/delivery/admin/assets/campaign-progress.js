// Live progress of a campaign send on /admin/campaigns/:id. The page is complete without this
// script (it shows the figures as of loading, and a "Refresh progress" link); with it, the figures
// follow progress.json every 2 seconds until the send is over. Each [data-progress="name"] element
// takes the server's text of that name, so words and numbers are written in one place only.
// Screen readers hear a short sentence in the polite live region at each tenth of the way and at
// each change of state, not the churn of every poll.
(() => {
  const panel = document.querySelector('[data-progress-url]');
  if (!panel || panel.getAttribute('data-progress-done') === 'true') return;
  const url = panel.getAttribute('data-progress-url');
  const field = (name) => panel.querySelector(`[data-progress="${name}"]`);
  const announce = field('announce');
  const INTERVAL_MS = 2000;
  let lastTenth = -1;
  let lastStatus = field('status')?.textContent ?? '';
  let failures = 0;

  function say(text) {
    if (announce) announce.textContent = text;
  }

  function show(progress) {
    for (const name of Object.keys(progress.text)) {
      const element = field(name);
      if (element && element.textContent !== progress.text[name]) element.textContent = progress.text[name];
    }
    const bar = field('bar');
    if (bar) {
      bar.max = Math.max(progress.recipients, 1);
      bar.value = progress.recipients === 0 && progress.finished ? 1 : progress.done;
      bar.textContent = progress.text.percent;
    }
    const paused = field('paused');
    if (paused) {
      paused.hidden = !progress.pausedReason;
      const reason = field('pausedReason');
      if (reason) reason.textContent = progress.pausedReason || '';
    }
    const errors = field('errors');
    if (errors) {
      errors.replaceChildren(
        ...progress.lastErrors.map((line) => {
          const item = document.createElement('li');
          item.textContent = line;
          return item;
        }),
      );
      const block = field('errorsBlock');
      if (block) block.hidden = progress.lastErrors.length === 0;
    }
    const tenth = Math.floor(progress.percent / 10);
    if (progress.text.status !== lastStatus) {
      lastStatus = progress.text.status;
      say(`${progress.text.status}: ${progress.text.label}.`);
    } else if (tenth > lastTenth && lastTenth !== -1) {
      say(progress.text.label);
    }
    lastTenth = tenth;
  }

  const over = (progress) => progress.finished || progress.status === 'cancelled';

  async function poll() {
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const progress = await response.json();
      failures = 0;
      show(progress);
      if (over(progress)) return;
    } catch {
      // A dropped connection or a restart: keep trying a while, then leave it to the refresh link.
      failures += 1;
      if (failures >= 10) return;
    }
    setTimeout(poll, INTERVAL_MS);
  }

  setTimeout(poll, INTERVAL_MS);
})();
