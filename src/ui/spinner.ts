/** A tiny spinner: frames and a timer that calls `draw` while anything is running. No ora. */
export const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class Ticker {
  #timer: NodeJS.Timeout | undefined;
  frame = 0;

  constructor(
    private readonly draw: () => void,
    private readonly intervalMs = 80,
  ) {}

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.frame = (this.frame + 1) % FRAMES.length;
      this.draw();
    }, this.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  get symbol(): string {
    return FRAMES[this.frame] ?? '*';
  }
}
