import { type Clock, iso } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';

/** Who caused a subscriber event. Admin actors carry the staff member's address. */
export type SubscriberActor = 'subscriber' | 'one-click' | 'import' | 'system' | `admin:${string}`;

export type SubscriberEventKind =
  | 'requested'
  | 'confirmed'
  | 'imported'
  | 'topics_changed'
  | 'paused'
  | 'resumed'
  | 'unsubscribed'
  | 'suppressed'
  | 'exported'
  | 'preferences_link_sent';

/**
 * Appends to a subscriber's history (shown to administrators, included in "download my data",
 * removed by "delete me"). Pass the transaction the change runs in, so both land or neither does.
 * Details hold topic slugs and the like, never an IP address.
 */
export async function recordSubscriberEvent(
  db: Db,
  clock: Clock,
  event: { subscriberId: string; kind: SubscriberEventKind; actor: SubscriberActor; details?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('subscriber_events')
    .values({
      subscriber_id: event.subscriberId,
      at: iso(clock.now()),
      kind: event.kind,
      actor: event.actor,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}
