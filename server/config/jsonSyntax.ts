import 'server-only';

/** The first JSON syntax error of a text: where it is and what kind it is, never any of the text itself. */
export interface JsonSyntaxError {
  /** 1-based line and column (in UTF-16 code units, as editors count them). */
  line: number;
  column: number;
  reason: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const ESCAPES = new Set('"\\/bfnrt');
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** A strict JSON (RFC 8259) reader that only looks for the first error. */
class Scanner {
  private i = 0;

  constructor(private readonly text: string) {}

  private stop(reason: string, at = this.i): never {
    throw new Stop(at, at >= this.text.length ? 'unexpected end of the file' : reason);
  }

  private skipWhitespace(): void {
    while (this.i < this.text.length && WHITESPACE.has(this.text.charCodeAt(this.i))) this.i++;
  }

  document(): void {
    this.value();
    this.skipWhitespace();
    if (this.i < this.text.length) this.stop('more text after the end of the JSON value');
  }

  private value(): void {
    this.skipWhitespace();
    const c = this.text[this.i];
    const word = ['true', 'false', 'null'].find((w) => this.text.startsWith(w, this.i));
    if (c === '{') this.object();
    else if (c === '[') this.array();
    else if (c === '"') this.string();
    else if (c === '-' || isDigit(c)) this.number();
    else if (word) this.i += word.length;
    else this.stop('expected a value (an object, array, string, number, true, false or null)');
  }

  private object(): void {
    this.i++;
    this.skipWhitespace();
    if (this.text[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.i] !== '"') this.stop('expected a property name in double quotes');
      this.string();
      this.skipWhitespace();
      if (this.text[this.i] !== ':') this.stop("expected ':' after the property name");
      this.i++;
      this.value();
      this.skipWhitespace();
      const c = this.text[this.i];
      this.i++;
      if (c === '}') return;
      if (c !== ',') this.stop("expected ',' or '}' after a property value", this.i - 1);
    }
  }

  private array(): void {
    this.i++;
    this.skipWhitespace();
    if (this.text[this.i] === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      this.skipWhitespace();
      const c = this.text[this.i];
      this.i++;
      if (c === ']') return;
      if (c !== ',') this.stop("expected ',' or ']' after an array element", this.i - 1);
    }
  }

  private string(): void {
    const start = this.i;
    this.i++;
    for (;;) {
      if (this.i >= this.text.length) this.stop('a string is not closed', start);
      const code = this.text.charCodeAt(this.i);
      if (code === 0x22) {
        this.i++;
        return;
      }
      if (code < 0x20) this.stop('a control character (a line break, a tab) inside a string: escape it');
      if (code === 0x5c) {
        const next = this.text[this.i + 1];
        if (next === 'u') {
          for (let k = 2; k < 6; k++) if (!isHex(this.text[this.i + k])) this.stop('bad \\u escape in a string');
          this.i += 6;
        } else if (next !== undefined && ESCAPES.has(next)) this.i += 2;
        else this.stop('bad escape in a string');
      } else this.i++;
    }
  }

  private number(): void {
    const start = this.i;
    if (this.text[this.i] === '-') this.i++;
    if (this.text[this.i] === '0') this.i++;
    else if (isDigit(this.text[this.i])) while (isDigit(this.text[this.i])) this.i++;
    else this.stop('bad number', start);
    if (this.text[this.i] === '.') {
      this.i++;
      if (!isDigit(this.text[this.i])) this.stop('bad number', start);
      while (isDigit(this.text[this.i])) this.i++;
    }
    if (this.text[this.i] === 'e' || this.text[this.i] === 'E') {
      this.i++;
      if (this.text[this.i] === '+' || this.text[this.i] === '-') this.i++;
      if (!isDigit(this.text[this.i])) this.stop('bad number', start);
      while (isDigit(this.text[this.i])) this.i++;
    }
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where the first syntax error of `text` is; undefined when there is none (or it is too deeply nested to find).
 * Node's own JSON.parse message quotes the text around the error, which may be a password or a token: this names
 * only the position and the kind of error.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    new Scanner(text).document();
    return undefined;
  } catch (err) {
    if (!(err instanceof Stop)) return undefined;
    return { ...lineAndColumn(text, err.offset), reason: err.reason };
  }
}

/** "line 3, column 14: expected ',' or '}' after a property value" */
export function describeJsonSyntaxError(text: string): string {
  const error = findJsonSyntaxError(text);
  return error ? `line ${error.line}, column ${error.column}: ${error.reason}` : 'position unknown';
}
