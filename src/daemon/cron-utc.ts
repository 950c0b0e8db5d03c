// node-cron reads the time of day through Intl.DateTimeFormat (buildDateParts in its _shared.js), for every
// schedule and every heartbeat. For the UTC schedules hashpulse uses that is Date's own UTC getters, and Intl costs
// ~8 MB of resident memory in a daemon (ICU data and the formatter) that is otherwise idle. The build
// (scripts/build.mjs, plugin node-cron-utc) makes node-cron call this for timezone 'UTC'; any other timezone still
// goes through Intl. test/next-run.test.ts compares it with node-cron's Intl formatter over a sweep of instants.
// Below it, the plain expressions `status` reads without node-cron's parse (plainCronFields).

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

/** The fields of a cron expression as node-cron's parse returns them (seconds first; lists of numbers), for the
 *  plain forms hashpulse's schedules use: numbers, `*`, ranges `a-b` and steps `*` or `a-b` `/n`, in
 *  comma-separated lists, five or six fields. Anything else (names, nicknames, L, W, #, `?`, a range that wraps,
 *  days of month all past the 28th) is undefined, and node-cron parses it. `status` reads the next run of six
 *  schedules: node-cron's parse builds ~40 regular expressions and ~40 kB of strings each, ~3 ms of the command,
 *  and fills V8's young generation, which then costs it a collection. test/next-run.test.ts checks both agree. */
export function plainCronFields(
  expr: string,
):
  | { second: number[]; minute: number[]; hour: number[]; dayOfMonth: number[]; month: number[]; dayOfWeek: number[] }
  | undefined {
  if (!/^[\d*/,\- ]+$/.test(expr)) return undefined;
  const raw = expr.trim().split(/ +/);
  if (raw.length !== 5 && raw.length !== 6) return undefined;
  const parts = raw.length === 5 ? ['0', ...raw] : raw;
  const fields: number[][] = [];
  for (let i = 0; i < 6; i++) {
    const [min, max] = PLAIN_BOUNDS[i]!;
    const values: number[] = [];
    for (const item of parts[i]!.split(',')) {
      const m = /^(?:(\*)|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
      if (!m) return undefined;
      if (m[2] !== undefined && m[3] === undefined && m[4] !== undefined) return undefined; // `5/15`: node-cron refuses
      const step = m[4] === undefined ? 1 : Number(m[4]);
      // `*` is the field's range; for the day of week 0-6 (7 is Sunday again).
      const lo = m[1] ? min : Number(m[2]);
      const hi = m[1] ? (i === 5 ? 6 : max) : m[3] === undefined ? lo : Number(m[3]);
      if (!(step >= 1) || lo > hi || lo < min || hi > max) return undefined;
      for (let v = lo; v <= hi; v += step) values.push(v);
    }
    fields.push(values);
  }
  const [second, minute, hour, dayOfMonth, month, weekdays] = fields as [
    number[],
    number[],
    number[],
    number[],
    number[],
    number[],
  ];
  if (!dayOfMonth.some((d) => d <= 28)) return undefined; // node-cron checks that some month has one of the days
  const dayOfWeek = [...new Set(weekdays.map((d) => (d === 7 ? 0 : d)))];
  return { second, minute, hour, dayOfMonth, month, dayOfWeek };
}

/** [min, max] per field, seconds first; the day of week takes 7 for Sunday too. */
const PLAIN_BOUNDS: ReadonlyArray<readonly [number, number]> = [
  [0, 59],
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
