import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { iso } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import type { OrganisationKind } from '../platform/db/schema.ts';
import { validation } from '../platform/errors.ts';

const inputSchema = z.object({
  name: z.string().trim().min(2, 'Enter the organisation’s name.').max(200, 'Use at most 200 characters.'),
  kind: z.enum(['school_district', 'law_enforcement', 'other'], 'Choose the kind of organisation.'),
});

/**
 * Creates an organisation (a school district, a law enforcement agency, or another partner) with
 * its first owner, in one transaction.
 */
export async function createOrganisation(
  ctx: AppContext,
  options: { name: string; kind: OrganisationKind | string; ownerUserId: string; actor: { id: string | null; email: string } },
): Promise<string> {
  const parsed = inputSchema.safeParse(options);
  if (!parsed.success) {
    throw validation(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
  }
  const id = randomUUID();
  const now = iso(ctx.clock.now());
  await ctx.db.transaction().execute(async (trx) => {
    await trx.insertInto('organisations').values({ id, name: parsed.data.name, kind: parsed.data.kind, created_at: now }).execute();
    await trx
      .insertInto('memberships')
      .values({ organisation_id: id, user_id: options.ownerUserId, role: 'owner', created_at: now })
      .execute();
  });
  await ctx.audit.record({
    action: 'organisation.created',
    actor: options.actor.email,
    actorUserId: options.actor.id,
    subjectType: 'organisation',
    subjectId: id,
    details: { name: parsed.data.name, kind: parsed.data.kind, owner: options.ownerUserId },
  });
  return id;
}
