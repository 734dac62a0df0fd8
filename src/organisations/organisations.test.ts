import { expect, it } from 'vitest';
import { createStaff, createTestApp } from '../../test/support/app.ts';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { createOrganisation } from './create-organisation.ts';
import { findMembership, listMyOrganisations } from './find-membership.ts';
import { membershipAllows } from './policies.ts';
import { setMembership } from './set-membership.ts';

describeEachDatabase('organisations and memberships', ({ handle }) => {
  it('creates an organisation with its owner, and owners manage members', async () => {
    const { app, ctx } = await createTestApp(handle());
    const owner = await createStaff(ctx, 'editor');
    const member = await createStaff(ctx, 'editor');
    const district = await createOrganisation(ctx, {
      name: 'Springfield Unified School District',
      kind: 'school_district',
      ownerUserId: owner.userId,
      actor: { id: owner.userId, email: owner.email },
    });
    await setMembership(ctx, {
      organisationId: district,
      userId: member.userId,
      role: 'signatory',
      actor: { id: owner.userId, email: owner.email },
    });
    expect((await findMembership(ctx, { organisationId: district, userId: member.userId }))?.role).toBe('signatory');
    expect(await listMyOrganisations(ctx, member.userId)).toEqual([
      { id: district, name: 'Springfield Unified School District', kind: 'school_district', role: 'signatory' },
    ]);

    // A signatory may not manage members: 403 inside the organisation.
    await expect(
      setMembership(ctx, {
        organisationId: district,
        userId: member.userId,
        role: 'owner',
        actor: { id: member.userId, email: member.email },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const audit = await ctx.db.selectFrom('audit_log').select('action').where('subject_id', '=', district).execute();
    expect(audit.map((a) => a.action)).toEqual(['organisation.created', 'organisation.membership_set']);
    await app.close();
  });

  it('answers 404 to a member of another organisation', async () => {
    const { app, ctx } = await createTestApp(handle());
    const a = await createStaff(ctx, 'editor');
    const b = await createStaff(ctx, 'editor');
    const orgA = await createOrganisation(ctx, {
      name: 'Agency A',
      kind: 'law_enforcement',
      ownerUserId: a.userId,
      actor: { id: a.userId, email: a.email },
    });
    await createOrganisation(ctx, {
      name: 'Agency B',
      kind: 'law_enforcement',
      ownerUserId: b.userId,
      actor: { id: b.userId, email: b.email },
    });
    expect(await findMembership(ctx, { organisationId: orgA, userId: b.userId })).toBeUndefined();
    await expect(
      setMembership(ctx, { organisationId: orgA, userId: b.userId, role: 'owner', actor: { id: b.userId, email: b.email } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await findMembership(ctx, { organisationId: orgA, userId: b.userId })).toBeUndefined();
    await app.close();
  });

  it('refuses bad input and writes nothing', async () => {
    const { app, ctx } = await createTestApp(handle());
    const owner = await createStaff(ctx, 'editor');
    await expect(
      createOrganisation(ctx, { name: ' ', kind: 'castle', ownerUserId: owner.userId, actor: { id: owner.userId, email: owner.email } }),
    ).rejects.toMatchObject({ code: 'VALIDATION', fields: { name: expect.any(String), kind: expect.any(String) } });
    // An owner that does not exist fails the membership insert: the organisation row is rolled back.
    await expect(
      createOrganisation(ctx, { name: 'Ghost Agency', kind: 'other', ownerUserId: 'no-such-user', actor: { id: null, email: 'cli' } }),
    ).rejects.toThrow();
    expect(await ctx.db.selectFrom('organisations').selectAll().execute()).toEqual([]);
    await app.close();
  });
});

it('membership roles grant what the workspace needs', () => {
  expect(membershipAllows('viewer', 'view')).toBe(true);
  expect(membershipAllows('viewer', 'edit')).toBe(false);
  expect(membershipAllows('editor', 'sign')).toBe(false);
  expect(membershipAllows('signatory', 'sign')).toBe(true);
  expect(membershipAllows('owner', 'manageMembers')).toBe(true);
});
