// Apiary labeling UI: the outbox of label writes not yet confirmed by the daemon.
// A write stays here — in memory and in the browser's localStorage — until the daemon has committed it, so a
// daemon that is down, a reload or a closed tab loses nothing: writes are sent one at a time, in order, each
// with the image's revision it was made on (the daemon refuses it with 409 if the image changed meanwhile).
"use strict";

/**
 * Unsent label writes of this tab, persisted under `apiary-label-pending:<tab>`. A tab that closed (or crashed)
 * with writes left is adopted by the next page that starts.
 *
 * A new box has a local key (`new-…`) as its id until the daemon answers; later writes may name it by that key
 * and are sent with the id the daemon gave it.
 */
class Outbox {
  static PREFIX = "apiary-label-pending:";
  static STALE_MS = 20000;   // a tab that has not written its heartbeat for this long is gone

  /**
   * @param send `(imageId, revision, edits) → Promise<answer>`; throws an error with `status` 0 when the
   *   daemon cannot be reached, or 503 when its database does not answer (either way the write is kept and
   *   retried); any other status refuses it.
   * @param events `confirmed(write, answer)`, `refused(write, error, dropped)`, `offline(error)`, `online()`,
   *   `changed()` (the count changed).
   */
  constructor(send, events) {
    this.send = send;
    this.events = events;
    this.tab = Math.random().toString(36).slice(2, 10);
    this.key = Outbox.PREFIX + this.tab;
    this.writes = [];        // [{seq, imageId, edits}]
    this.revisions = {};     // imageId → the revision the first pending write of that image was made on
    this.ids = {};           // local key → box id from the daemon
    this.next = 1;
    this.keys = 0;
    this.done = new Map();   // seq → callback with the answer (this page only)
    this.sending = false;
    this.offline = false;    // or what did not answer: "daemon" or "database"
    this.retryDelay = 1000;
    this.retryTimer = null;
    this.waiters = [];
    setInterval(() => { if (this.writes.length) this.persist(); }, 5000);
    addEventListener("pagehide", () => this.persist(true));
    addEventListener("online", () => this.pump());
  }

  get count() { return this.writes.length; }

  /** A key for a box not yet stored. */
  newKey() { return `new-${this.tab}-${++this.keys}`; }

  /** Whether writes for this image are still unconfirmed. */
  pendingFor(imageId) { return this.writes.some((w) => w.imageId === imageId); }

  /** Queues one write (`edits` on `imageId`, made when the page showed `revision`) and starts sending. */
  add(imageId, revision, edits, done) {
    const write = { seq: this.next++, imageId, edits };
    if (!this.pendingFor(imageId)) this.revisions[imageId] = revision;
    this.writes.push(write);
    if (done) this.done.set(write.seq, done);
    this.persist();
    this.events.changed();
    this.pump();
  }

  /** Resolves once nothing is left to send, or the daemon cannot be reached (the writes wait for it). */
  idle() {
    return this.sending || (this.writes.length && !this.offline) ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }

  /** Takes over the writes of tabs that closed or crashed with some left, after this tab's own. */
  adopt() {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const key = localStorage.key(i);
      if (!key?.startsWith(Outbox.PREFIX) || key === this.key) continue;
      let saved;
      try { saved = JSON.parse(localStorage.getItem(key)); } catch { saved = null; }
      if (saved && !saved.closed && Date.now() - saved.heartbeat < Outbox.STALE_MS) continue;  // a live tab's
      localStorage.removeItem(key);
      for (const write of saved?.writes || []) {
        if (!this.pendingFor(write.imageId)) this.revisions[write.imageId] = saved.revisions[write.imageId];
        this.writes.push({ seq: this.next++, imageId: write.imageId, edits: write.edits });
      }
      Object.assign(this.ids, saved?.ids || {});
    }
    this.persist();
    this.events.changed();
    this.pump();
  }

  async pump() {
    if (this.sending) return;
    this.sending = true;
    clearTimeout(this.retryTimer);
    while (this.writes.length) {
      const write = this.writes[0];
      const edits = write.edits.map(({ key, ...edit }) => (typeof edit.id === "string" ? { ...edit, id: this.ids[edit.id] ?? edit.id } : edit));
      let answer;
      try {
        answer = await this.send(write.imageId, this.revisions[write.imageId], edits);
      } catch (error) {
        if (Outbox.isOutage(error)) { this.goOffline(error); break; }
        this.refuse(write, error);
        continue;
      }
      this.writes.shift();
      write.edits.forEach((edit, i) => { if (edit.key) this.ids[edit.key] = answer.changes[i]?.boxId; });
      if (this.pendingFor(write.imageId)) this.revisions[write.imageId] = answer.revision;
      else delete this.revisions[write.imageId];
      if (this.offline) { this.offline = false; this.retryDelay = 1000; this.events.online(); }
      this.done.get(write.seq)?.(answer);
      this.done.delete(write.seq);
      this.events.confirmed(write, answer);
      if (!this.writes.length) this.ids = {};  // every key is resolved in the page by now
      this.persist();
      this.events.changed();
    }
    this.sending = false;
    for (const resolve of this.waiters) resolve();
    this.waiters = [];
    this.events.changed();
  }

  /** The id a box has now: the daemon's for a box stored since the key was made. */
  idOf(id) { return typeof id === "string" ? this.ids[id] ?? id : id; }

  /** An error that says nothing about the write: the daemon, or its database, did not answer. */
  static isOutage(error) { return error.status === 0 || error.status === 503; }

  goOffline(error) {
    this.offline = error.status === 503 ? "database" : "daemon";
    this.events.offline(error);
    this.retryTimer = setTimeout(() => this.pump(), this.retryDelay);
    this.retryDelay = Math.min(this.retryDelay * 2, 5000);
  }

  /** A refused write: it and the later writes on that image (they build on it) are dropped. "Nothing to undo"
   * drops only itself. */
  refuse(write, error) {
    const alone = error.status === 409 && /nothing to undo/.test(error.message);
    const dropped = alone ? [write] : this.writes.filter((w) => w.imageId === write.imageId);
    this.writes = this.writes.filter((w) => !dropped.includes(w));
    if (!this.pendingFor(write.imageId)) delete this.revisions[write.imageId];
    for (const w of dropped) this.done.delete(w.seq);
    this.persist();
    this.events.refused(write, error, dropped);
    this.events.changed();
  }

  /** Writes what is left to localStorage (nothing when empty); `closed` marks it for the next page to adopt. */
  persist(closed = false) {
    try {
      if (!this.writes.length) { localStorage.removeItem(this.key); return; }
      const writes = this.writes.map(({ imageId, edits }) => ({ imageId, edits }));
      localStorage.setItem(this.key, JSON.stringify({ writes, revisions: this.revisions, ids: this.ids, heartbeat: Date.now(), closed }));
    } catch { /* storage full or disabled: the writes still wait in memory, and leaving the page warns */ }
  }
}
