/**
 * Progress of long work on stderr: a line redrawn in place on a terminal, a line every few
 * seconds otherwise (CI logs), so stdout stays for results.
 */
export class Progress {
  private lastPrint = 0;
  private readonly started = Date.now();
  private readonly tty = process.stderr.isTTY;

  constructor(private readonly label: string) {}

  /** `total` is null when it is not known cheaply (events on EventStoreDB): no percentage then. */
  update(done: number, total: number | null, unit = 'events'): void {
    const now = Date.now();
    if (now - this.lastPrint < (this.tty ? 100 : 3000) && (total === null || done < total)) return;
    this.lastPrint = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const speed = `${rate.toLocaleString('en')}/s`;
    const line =
      total === null
        ? `${this.label}: ${done.toLocaleString('en')} ${unit}, ${speed}`
        : `${this.label}: ${total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100}% (${done.toLocaleString('en')} of ${total.toLocaleString('en')} ${unit}, ${speed})`;
    process.stderr.write(this.tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
