import { AnywireError } from './errors.js';

/** What the async iterator does when its buffer is full. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'error';

/** The async iterator's buffer. */
export interface BufferOptions {
  /** Messages held for a slow `for await` loop. @defaultValue `1000` */
  size?: number;
  /**
   * When full: drop the oldest buffered message, drop the new one, or end the loop with an
   * `overflow` error. Dropped messages are counted in `sub.dropped`.
   * @defaultValue `'drop-oldest'`
   */
  overflow?: OverflowPolicy;
}

/** One consumer's bounded queue, exposed as an async iterator. */
export interface MessageQueue<M> extends AsyncIterableIterator<M> {
  /** Offers a message; false when the policy dropped one. */
  push(message: M): boolean;
  /** Ends the iteration: normally, or with `error` thrown to the consumer after the buffer drains. */
  end(error?: unknown): void;
}

/** Creates a {@link MessageQueue}; `onReturn` runs once when the consumer stops or the queue ends. */
export function createMessageQueue<M>(options: BufferOptions, onReturn: () => void): MessageQueue<M> {
  const { size = 1000, overflow = 'drop-oldest' } = options;
  const buffer: M[] = [];
  let head = 0;
  let waiting: ((result: IteratorResult<M>) => void) | undefined;
  let failing: ((error: unknown) => void) | undefined;
  let done = false;
  let failure: unknown;

  const finish = (): void => {
    if (!done) onReturn();
    done = true;
  };
  const queue: MessageQueue<M> = {
    push(message) {
      if (done) return true;
      if (waiting) {
        const resolve = waiting;
        waiting = failing = undefined;
        resolve({ value: message, done: false });
        return true;
      }
      if (buffer.length - head < size) {
        buffer.push(message);
        return true;
      }
      if (overflow === 'drop-newest') return false;
      if (overflow === 'error') {
        queue.end(new AnywireError('overflow', `for await fell ${size} messages behind: raise buffer.size`));
        return false;
      }
      head++;
      buffer.push(message);
      // Compact now and then so the array does not grow without bound.
      if (head > 1024 && head * 2 > buffer.length) {
        buffer.splice(0, head);
        head = 0;
      }
      return false;
    },
    end(error) {
      if (done) return;
      failure = error;
      finish();
      if (waiting) {
        const [resolve, reject] = [waiting, failing];
        waiting = failing = undefined;
        if (error === undefined) resolve({ value: undefined, done: true });
        else reject?.(error);
      }
    },
    next() {
      if (head < buffer.length) {
        const value = buffer[head] as M;
        buffer[head++] = undefined as M;
        if (head === buffer.length) buffer.length = head = 0;
        return Promise.resolve({ value, done: false });
      }
      if (done) {
        const error = failure;
        failure = undefined;
        return error === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(error);
      }
      return new Promise((resolve, reject) => {
        waiting = resolve;
        failing = reject;
      });
    },
    return() {
      buffer.length = head = 0;
      failure = undefined;
      queue.end();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return queue;
    },
  };
  return queue;
}
