// A subscriber's history in words. Kinds and actors are codes the features write; details are
// JSON whose values may have been typed by the public (a source, a user agent) and are rendered as
// text, never as markup.

const KIND_LABELS: Record<string, string> = {
  requested: 'Asked to subscribe',
  confirmed: 'Confirmed',
  imported: 'Imported',
  topics_changed: 'Changed topics',
  paused: 'Paused',
  resumed: 'Resumed',
  unsubscribed: 'Unsubscribed',
  suppressed: 'Suppressed (unsubscribed, and never mailed again)',
  exported: 'Downloaded their data',
  preferences_link_sent: 'Was sent a preferences link',
};

export function eventKindText(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replaceAll('_', ' ');
}

export function eventActorText(actor: string): string {
  if (actor.startsWith('admin:')) return `Staff: ${actor.slice('admin:'.length)}`;
  switch (actor) {
    case 'subscriber':
      return 'The subscriber';
    case 'one-click':
      return 'The subscriber (one-click unsubscribe in their mail program)';
    case 'import':
      return 'CSV import';
    case 'system':
      return 'Dispatch';
    default:
      return actor;
  }
}

/** "topicSlugs" / "topic_slugs" → "Topic slugs". */
function keyText(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replaceAll('_', ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(valueText).join(', ');
  return JSON.stringify(value);
}

/** An event's details as label and value pairs; text that is not a JSON object is shown as it is. */
export function eventDetailLines(details: string): { label: string; value: string }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return details.trim() === '' ? [] : [{ label: 'Details', value: details }];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return [{ label: 'Details', value: valueText(parsed) }];
  }
  return Object.entries(parsed as Record<string, unknown>).map(([key, value]) => ({ label: keyText(key), value: valueText(value) }));
}
