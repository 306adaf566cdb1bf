/**
 * Progress of long work on stderr: a line redrawn in place on a terminal, a line every few
 * seconds otherwise (CI logs), so stdout stays for results.
 */
export class Progress {
  private lastPrint = 0;
  private readonly started = Date.now();
  private readonly tty = process.stderr.isTTY;

  constructor(private readonly label: string) {}

  update(done: number, total: number, unit = 'events'): void {
    const now = Date.now();
    if (now - this.lastPrint < (this.tty ? 100 : 3000) && done < total) return;
    this.lastPrint = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
    const line = `${this.label}: ${percent}% (${done.toLocaleString('en')} of ${total.toLocaleString('en')} ${unit}, ${rate.toLocaleString('en')}/s)`;
    process.stderr.write(this.tty ? `\r\x1b[2K${line}` : `${line}\n`);
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
