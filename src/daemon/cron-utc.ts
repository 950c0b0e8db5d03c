// node-cron reads the time of day through Intl.DateTimeFormat (buildDateParts in its _shared.js), for every
// schedule and every heartbeat. For the UTC schedules hashpulse uses that is Date's own UTC getters, and Intl costs
// ~8 MB of resident memory in a daemon (ICU data and the formatter) that is otherwise idle. The build
// (scripts/build.mjs, plugin node-cron-utc) makes node-cron call this for timezone 'UTC'; any other timezone still
// goes through Intl. test/next-run.test.ts compares it with node-cron's Intl formatter over a sweep of instants.

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** The parts node-cron's buildDateParts returns for `timezone: 'UTC'` (en-US, 24-hour, short weekday; gmt 'Z'). */
export function utcDateParts(date: Date) {
  return {
    day: date.getUTCDate(),
    month: date.getUTCMonth() + 1,
    year: date.getUTCFullYear(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    millisecond: date.getMilliseconds(),
    weekday: WEEKDAYS[date.getUTCDay()]!,
    gmt: 'Z',
  };
}
