/**
 * A live progress line on stderr: transcripts fetched, calls summarized, rate-limit waits, ETA.
 * Redraws in place on a TTY; elsewhere (CI, pipes) prints a line every few seconds.
 */
import type { RunProgress } from '../shared/domain/index.ts';

export class ProgressLine {
  private lastPrintMs = 0;
  private lastLine = '';
  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly plainEveryMs = 5_000,
  ) {}

  update(p: RunProgress): void {
    const total = Math.max(p.total, 1);
    const fetched = p.transcriptsFetched + p.transcriptsCached;
    const done = p.summarized + p.summariesCached;
    const elapsedS = p.startedAtMs ? (Date.now() - p.startedAtMs) / 1000 : 0;
    const rate = done > 0 ? done / Math.max(elapsedS, 0.001) : 0;
    const eta = rate > 0 ? `${Math.ceil((total - done) / rate)}s` : '?';
    const width = 24;
    const filled = Math.round((Math.min(done, total) / total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const line = `${bar} ${done}/${total} summarized · ${fetched}/${total} transcripts · ${p.rateLimitWaits} rate-limit waits · ${p.failed} failed · ETA ${eta}`;
    if (this.stream.isTTY) {
      if (line !== this.lastLine) this.stream.write(`\r\x1b[2K${line}`);
    } else if (Date.now() - this.lastPrintMs >= this.plainEveryMs) {
      this.stream.write(`${line}\n`);
      this.lastPrintMs = Date.now();
    }
    this.lastLine = line;
  }

  /** Prints a line of its own (a notice) without breaking the progress line; it is redrawn after. */
  note(text: string): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}\n${this.lastLine}`);
    } else {
      this.stream.write(`${text}\n`);
    }
  }

  done(): void {
    if (this.stream.isTTY && this.lastLine) this.stream.write('\n');
    else if (this.lastLine) this.stream.write(`${this.lastLine}\n`);
  }
}
