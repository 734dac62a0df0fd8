import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { AuditRecorder } from './audit/audit-log.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db/database.ts';
import type { Mailer } from './mail/mailer.ts';

/**
 * What every use-case is handed: the database, the time, the mailer and a logger.
 * Use-cases take it as their first argument and one options object as their second.
 */
export interface AppContext {
  config: Config;
  db: Db;
  dialect: 'sqlite' | 'postgres';
  clock: Clock;
  mailer: Mailer;
  log: Logger;
  audit: AuditRecorder;
}
