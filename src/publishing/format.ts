/** "January 2024" from an issue month stored as "2024-01-01". */
export function issueMonthLabel(month: string): string {
  return new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}T00:00:00Z`));
}

/** The issue dateline exactly as the newsletter prints it: "January 2024 | Volume 17 | Issue 1". */
export function issueDateline(issue: { month: string; volume: number; number: number }): string {
  return `${issueMonthLabel(issue.month)} | Volume ${issue.volume} | Issue ${issue.number}`;
}

/** An event's date and time in its own zone: "Monday, January 22, 2024", "11:00 AM ET". */
export function eventTimeInZone(startsAt: string, timeZone: string): { date: string; time: string } {
  const instant = new Date(startsAt);
  return {
    date: new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(instant),
    time: new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit', timeZoneName: 'shortGeneric' }).format(instant),
  };
}
