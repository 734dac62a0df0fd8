// The job runner's public API: enqueue work, define recurring schedules, run both.

export { type ClaimOptions, claimDueJobs, type Job } from './lease.ts';
export { DEFAULT_MAX_ATTEMPTS, type EnqueueJobOptions, enqueueJob } from './queue.ts';
export { type JobHandler, type JobLogger, JobRunner, type JobRunnerOptions, retryDelayMs } from './runner.ts';
export { defineSchedule, fireDueSchedules, nextOccurrence, type ScheduleDefinition } from './schedules.ts';
