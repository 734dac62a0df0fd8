// The public side's queries live in ./site/ (one file per use-case); this module keeps the
// original import path working.
export { findCurrentIssue, type IssueContents as CurrentIssue } from './site/find-issue.ts';
