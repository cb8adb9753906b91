/** Keeps the `n` largest items by `score`; cheap for small n (sorted insert). */
export class TopN<T> {
  private readonly items: T[] = [];

  constructor(
    private readonly n: number,
    private readonly score: (item: T) => number,
  ) {}

  offer(item: T): void {
    const s = this.score(item);
    if (this.items.length === this.n && s <= this.score(this.items[this.items.length - 1] as T)) return;
    let i = this.items.findIndex((x) => this.score(x) < s);
    if (i === -1) i = this.items.length;
    this.items.splice(i, 0, item);
    if (this.items.length > this.n) this.items.pop();
  }

  values(): T[] {
    return [...this.items];
  }
}
