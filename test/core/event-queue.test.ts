import { test } from "uvu";
import * as assert from "uvu/assert";
import { EventQueue } from "../../src/core/event-queue.ts";

test("events come out by time, then priority, then insertion order", () => {
  const q = new EventQueue<string>();
  q.push(5, "late");
  q.push(1, "b-second", 0);
  q.push(1, "a-urgent", -1);
  q.push(1, "c-third", 0);
  q.push(3, "mid");
  const out: string[] = [];
  for (let e = q.popDue(10); e !== undefined; e = q.popDue(10)) out.push(e.value);
  assert.equal(out, ["a-urgent", "b-second", "c-third", "mid", "late"]);
});

test("popDue leaves future events", () => {
  const q = new EventQueue<number>();
  q.push(10, 1);
  assert.is(q.popDue(9), undefined);
  assert.is(q.peekTime(), 10);
  assert.equal(q.popDue(10)?.value, 1);
  assert.is(q.peekTime(), Number.POSITIVE_INFINITY);
});

test("many random pushes pop sorted", () => {
  const q = new EventQueue<number>();
  const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 263);
  for (const t of times) q.push(t, t);
  const out: number[] = [];
  for (let e = q.popDue(1e9); e !== undefined; e = q.popDue(1e9)) out.push(e.atNs);
  assert.equal(
    out,
    [...times].sort((a, b) => a - b),
  );
});

test.run();
