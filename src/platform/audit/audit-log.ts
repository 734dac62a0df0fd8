import { createHmac } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { iso } from '../clock.ts';
import type { Db } from '../db/database.ts';

export interface AuditEntry {
  /** Dotted verb, e.g. "auth.sign_in.succeeded", "user.role_changed", "article.published". */
  action: string;
  actorUserId?: string | null;
  /** Who acted, for people reading the log: an e-mail address, "system" or "cli". */
  actor: string;
  subjectType?: string;
  subjectId?: string;
  ip?: string | undefined;
  details?: Record<string, unknown>;
}

export interface AuditRecorder {
  record(entry: AuditEntry): Promise<void>;
}

/**
 * Appends to the audit log. IP addresses are kept only as a keyed hash: enough to see that
 * attempts came from one place, not enough to identify a member of the public.
 */
export function auditLog(db: Db, clock: Clock, secret: string): AuditRecorder {
  return {
    async record(entry) {
      await db
        .insertInto('audit_log')
        .values({
          at: iso(clock.now()),
          actor_user_id: entry.actorUserId ?? null,
          actor: entry.actor.slice(0, 320),
          action: entry.action,
          subject_type: entry.subjectType ?? null,
          subject_id: entry.subjectId ?? null,
          ip_hash: entry.ip ? createHmac('sha256', secret).update(entry.ip).digest('hex').slice(0, 32) : null,
          // JSON encoding also neutralises line breaks and control characters (log injection).
          details: JSON.stringify(entry.details ?? {}),
        })
        .execute();
    },
  };
}

/** The newest entries first, for the admin audit page. */
export function listAuditEntries(db: Db, { limit, offset }: { limit: number; offset: number }) {
  return db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute();
}

/** How many entries the log holds, for paging. */
export async function countAuditEntries(db: Db): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
