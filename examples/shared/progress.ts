/**
 * A small live progress display for the examples and the demo: one line a task, redrawn in
 * place on a terminal, and plain milestone lines elsewhere (CI logs, pipes). Silent when given
 * no stream, which is what the tests use.
 */
export interface ProgressTask {
  /** Moves the task forward by `n` (default 1). */
  tick(n?: number): void;
  /** Sets the expected total (it may grow as pages arrive). */
  total(n: number): void;
  /** A short note shown after the counter (e.g. "3 retries"). */
  note(text: string): void;
  /** Marks the task finished, with an optional closing note. */
  done(text?: string): void;
  readonly count: number;
}

export interface ProgressOptions {
  /** Where to draw; nothing is drawn without one. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Minimum milliseconds between redraws on a terminal (default 80). */
  intervalMs?: number;
}

interface TaskState {
  label: string;
  count: number;
  total: number | undefined;
  note: string;
  finished: boolean;
  startedAt: number;
  endedAt?: number;
}

export class Progress {
  readonly #stream: ProgressOptions['stream'];
  readonly #tty: boolean;
  readonly #intervalMs: number;
  readonly #tasks: TaskState[] = [];
  #drawnLines = 0;
  #lastDraw = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: ProgressOptions = {}) {
    this.#stream = options.stream;
    this.#tty = Boolean(options.stream?.isTTY);
    this.#intervalMs = options.intervalMs ?? 80;
  }

  /** Prints a line above the live tasks (or plainly when not on a terminal). */
  log(line: string): void {
    if (!this.#stream) return;
    if (this.#tty) {
      this.#erase();
      this.#stream.write(`${line}\n`);
      this.#draw(true);
    } else {
      this.#stream.write(`${line}\n`);
    }
  }

  task(label: string, total?: number): ProgressTask {
    const state: TaskState = {
      label,
      count: 0,
      total,
      note: '',
      finished: false,
      startedAt: Date.now(),
    };
    this.#tasks.push(state);
    this.#schedule();
    const self = this;
    return {
      tick(n = 1) {
        state.count += n;
        self.#schedule();
      },
      total(n: number) {
        state.total = n;
        self.#schedule();
      },
      note(text: string) {
        state.note = text;
        self.#schedule();
      },
      done(text?: string) {
        if (state.finished) return;
        state.finished = true;
        state.endedAt = Date.now();
        if (text !== undefined) state.note = text;
        if (self.#tty) self.#draw(true);
        else self.#stream?.write(`${self.#line(state)}\n`);
      },
      get count() {
        return state.count;
      },
    };
  }

  /** Draws the final state and stops the redraw timer. */
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#tty) this.#draw(true);
    this.#drawnLines = 0;
    this.#tasks.length = 0;
  }

  #schedule(): void {
    if (!this.#tty || this.#timer) return;
    const wait = Math.max(0, this.#intervalMs - (Date.now() - this.#lastDraw));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#draw(false);
    }, wait);
    this.#timer.unref();
  }

  #erase(): void {
    if (!this.#stream || this.#drawnLines === 0) return;
    this.#stream.write(`\x1b[${this.#drawnLines}A\x1b[0J`);
    this.#drawnLines = 0;
  }

  #draw(force: boolean): void {
    if (!this.#stream || !this.#tty) return;
    if (!force && Date.now() - this.#lastDraw < this.#intervalMs) {
      this.#schedule();
      return;
    }
    this.#lastDraw = Date.now();
    this.#erase();
    const columns = this.#stream.columns;
    const width = columns && columns > 0 ? Math.max(40, columns - 1) : 160;
    const lines = this.#tasks.map((task) => this.#line(task).slice(0, width));
    if (lines.length > 0) this.#stream.write(`${lines.join('\n')}\n`);
    this.#drawnLines = lines.length;
  }

  #line(task: TaskState): string {
    const seconds = (((task.endedAt ?? Date.now()) - task.startedAt) / 1000).toFixed(1);
    const mark = task.finished ? '✔' : '…';
    const counter =
      task.total === undefined
        ? `${task.count}`
        : `${Math.min(task.count, task.total)}/${task.total}`;
    const bar = task.total ? ` ${bar20(task.count / task.total)}` : '';
    const note = task.note ? `  ${task.note}` : '';
    return `${mark} ${task.label.padEnd(34)}${bar} ${counter.padStart(11)} ${seconds.padStart(6)}s${note}`;
  }
}

function bar20(fraction: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * 20);
  return `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}]`;
}
