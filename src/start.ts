import { issueFirstAdminLink } from './accounts/issue-setup-link.ts';
import type { AppContext } from './platform/context.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { seedSiteSettings } from './platform/settings/site-settings.ts';
import { rebuildSearchIndex } from './publishing/search/index-entry.ts';
import { seedDemoContent } from './publishing/seed-demo-content.ts';
import { seedSubscriptionTopics } from './subscriptions/topics.ts';

/**
 * What every start does, in order: migrate, seed what is missing, and on a fresh install print a
 * link to create the first administrator. Idempotent: a second run changes nothing.
 */
export async function prepareInstallation(ctx: AppContext, print: (line: string) => void): Promise<void> {
  const applied = await migrateToLatest(ctx.db);
  if (applied.length > 0) ctx.log.info({ applied }, 'migrations applied');
  await seedInstallation(ctx);
  const link = await issueFirstAdminLink(ctx);
  if (link && 'url' in link) {
    print('');
    print('  No administrator yet. Create the first one with this one-time link (valid 24 hours):');
    print(`  ${link.url}`);
    print('');
  } else if (link) {
    print(`  No administrator yet. A setup link was printed at an earlier start (valid until ${link.pendingUntil}).`);
    print('  To get a new one: npm run cli -- user add YOUR@EMAIL --role admin');
  }
}

/** Seeds site settings and the demo issue where they are absent. */
export async function seedInstallation(ctx: AppContext) {
  const settings = await seedSiteSettings(ctx.db, ctx.clock);
  const content = await seedDemoContent(ctx);
  const topics = await seedSubscriptionTopics(ctx.db, ctx.clock);
  if (settings || content.issues + content.articles + content.events > 0) {
    await rebuildSearchIndex(ctx);
    ctx.log.info({ settings, ...content }, 'demo content seeded');
  }
  if (topics > 0) ctx.log.info({ topics }, 'subscription topics seeded');
  return { settings, ...content, topics };
}
