import 'server-only';
import type { Worker } from 'node:worker_threads';

/** Every worker is checking and the queue is full: the login is refused before any hashing. */
export class PasswordChecksBusyError extends Error {
  override readonly name = 'PasswordChecksBusyError';
}

export interface PasswordPoolOptions {
  /** Checks running at once, one per worker thread. */
  workers: number;
  /** Checks waiting for a free worker; one more is refused with PasswordChecksBusyError. */
  maxWaiting: number;
  /** Starts one worker running server/auth/passwordWorker.mjs. */
  spawn: () => Worker;
}

interface Check {
  password: string;
  hash: string;
  resolve: (ok: boolean) => void;
  reject: (err: Error) => void;
}

/**
 * bcrypt checks on a few worker threads with a bounded queue: however many logins arrive, at most
 * workers + maxWaiting are hashed or waiting, and the event loop only passes messages.
 */
export class PasswordCheckPool {
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Check>();
  private readonly waiting: Check[] = [];

  constructor(readonly options: PasswordPoolOptions) {}

  /** Checks on a worker now, and checks queued for one. */
  get load(): { running: number; waiting: number } {
    return { running: this.running.size, waiting: this.waiting.length };
  }

  /** Whether the password matches the hash; rejects with PasswordChecksBusyError when the queue is full. */
  compare(password: string, hash: string): Promise<boolean> {
    if (this.running.size >= this.options.workers && this.waiting.length >= this.options.maxWaiting) {
      return Promise.reject(new PasswordChecksBusyError('every password check worker is busy and the queue is full'));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ password, hash, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops the workers; checks still waiting or running are rejected. */
  async close(): Promise<void> {
    const workers = [...this.idle, ...this.running.keys()];
    for (const check of this.waiting.splice(0)) check.reject(new Error('password checks closed'));
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const worker = this.idle.pop() ?? this.spawnIfRoom();
      if (!worker) return;
      const check = this.waiting.shift();
      if (!check) {
        this.idle.push(worker);
        return;
      }
      this.running.set(worker, check);
      worker.postMessage({ password: check.password, hash: check.hash });
    }
  }

  private spawnIfRoom(): Worker | undefined {
    if (this.idle.length + this.running.size >= this.options.workers) return undefined;
    let worker: Worker;
    try {
      worker = this.options.spawn();
    } catch (err) {
      for (const check of this.waiting.splice(0)) check.reject(err as Error);
      return undefined;
    }
    // Idle workers must not keep the process alive (scripts, tests); the HTTP server does that.
    worker.unref();
    worker.on('message', (ok: unknown) => {
      const check = this.running.get(worker);
      this.running.delete(worker);
      this.idle.push(worker);
      check?.resolve(ok === true);
      this.dispatch();
    });
    worker.on('error', (err) => console.error('[auth] password check worker failed:', err));
    worker.on('exit', () => {
      const check = this.running.get(worker);
      this.running.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      check?.reject(new Error('password check worker stopped'));
      this.dispatch();
    });
    return worker;
  }
}
