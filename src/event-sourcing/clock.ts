/** The only source of time: injected so the domain and tests never read the system clock. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');

const shanghaiDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Business dates are Shanghai calendar dates (UTC+8), whatever the server's time zone. */
export function shanghaiDate(instant: Date): string {
  return shanghaiDay.format(instant);
}
