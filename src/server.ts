import type pino from 'pino';
import { accountRoutes } from './accounts/routes.ts';
import { administrationRoutes } from './administration/routes.ts';
import type { Config } from './config.ts';
import { campaignAdminRoutes } from './delivery/admin/routes.ts';
import { bulletinArchiveRoutes } from './delivery/archive/routes.ts';
import { bounceRoutes } from './delivery/bounces/routes.ts';
import { auditLog } from './platform/audit/audit-log.ts';
import { type Clock, systemClock } from './platform/clock.ts';
import type { AppContext } from './platform/context.ts';
import { type DatabaseHandle, openDatabase, sqliteFileIn } from './platform/db/database.ts';
import { buildApp, type FeatureRoutes } from './platform/http/app.ts';
import { createLogger } from './platform/log.ts';
import { createMailer } from './platform/mail/mailer.ts';
import { contactRoutes } from './publishing/contact/routes.ts';
import { editorialRoutes } from './publishing/editorial/routes.ts';
import { publishingRoutes } from './publishing/routes.ts';
import { searchRoutes } from './publishing/search/routes.ts';
import { subscriberAdminRoutes } from './subscriptions/admin/routes.ts';
import { subscriberImportRoutes } from './subscriptions/import/routes.ts';
import { subscriptionRoutes } from './subscriptions/routes.ts';

/** Every feature's routes, in registration order. */
export const features: FeatureRoutes[] = [
  publishingRoutes,
  searchRoutes,
  contactRoutes,
  editorialRoutes,
  accountRoutes,
  administrationRoutes,
  subscriptionRoutes,
  subscriberAdminRoutes,
  subscriberImportRoutes,
  bulletinArchiveRoutes,
  bounceRoutes,
  campaignAdminRoutes,
];

export interface Runtime {
  ctx: AppContext;
  database: DatabaseHandle;
  close(): Promise<void>;
}

/** Opens the database and mailer the configuration names and bundles them as the use-case context. */
export function createRuntime(config: Config, options: { clock?: Clock; logger?: pino.Logger; database?: DatabaseHandle } = {}): Runtime {
  const log = options.logger ?? createLogger(config.logLevel);
  const database = options.database ?? openDatabase({ databaseUrl: config.databaseUrl, sqliteFile: sqliteFileIn(config.dataDir) });
  const clock = options.clock ?? systemClock;
  const mailer = createMailer({ smtpUrl: config.smtpUrl, db: database.db, clock });
  const ctx: AppContext = {
    config,
    db: database.db,
    dialect: database.dialect,
    clock,
    mailer,
    log,
    audit: auditLog(database.db, clock, config.secret),
  };
  return {
    ctx,
    database,
    async close() {
      await mailer.close();
      await database.close();
    },
  };
}

/** The HTTP app with every feature, for `serve` and for tests. */
export function createHttpApp(ctx: AppContext) {
  return buildApp(ctx, features);
}
