// Shows an event's start in the reader's own time zone. Each <span data-local-time="ISO instant">
// gets the time as the browser's locale and zone write it, and its [data-local-time-holder]
// container is un-hidden. Without this script the page still shows the time in the event's zone.
(() => {
  const format = new Intl.DateTimeFormat(undefined, {
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  for (const span of document.querySelectorAll('[data-local-time]')) {
    const instant = new Date(span.getAttribute('data-local-time') || '');
    if (Number.isNaN(instant.getTime())) continue;
    span.textContent = format.format(instant);
    const holder = span.closest('[data-local-time-holder]');
    if (holder) holder.hidden = false;
  }
})();
