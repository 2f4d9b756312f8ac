// A one-line progress display on stderr, for terminals only: points, rate, ETA, feasible so far.
import { formatCount } from '../formats/units.js';
import type { Io } from './io.js';

export class Progress {
  private last = 0;
  private readonly started = performance.now();
  private shown = false;

  constructor(
    private readonly io: Io,
    private readonly label: string,
    private readonly enabled: boolean,
  ) {}

  update(done: number, total: number, feasible?: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.last < 100 && done < total) return;
    this.last = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? (total - done) / rate : 0;
    const width = 24;
    const filled = Math.round((done / Math.max(1, total)) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const parts = [
      `${this.label} ${bar} ${Math.floor((done / Math.max(1, total)) * 100)}%`,
      `${formatCount(done)}/${formatCount(total)} points`,
      `${formatCount(rate)}/s`,
      `ETA ${eta.toFixed(1)}s`,
    ];
    if (feasible !== undefined) parts.push(`${feasible.toLocaleString('en-US')} feasible`);
    this.io.stderr(`\r\x1b[2K${parts.join(' · ')}`);
    this.shown = true;
  }

  done(): void {
    if (this.shown) this.io.stderr('\r\x1b[2K');
    this.shown = false;
  }
}
