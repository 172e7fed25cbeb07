// Verification mode of the labeling UI, for Ground Truth's bounding-box verification jobs
// (PRE-VerificationBoundingBox): the previous job's boxes are shown and cannot be changed; the worker answers each
// image Good or Bad (G / X), may add a comment, and submits (Enter). The answer is one write:
// {"op": "verify", "answer": "good"|"bad", "comment": "…"}. app.js calls in at the points marked `verification.`.
"use strict";

const verification = {
  answer: null,   // "good" | "bad" | null, for the image shown

  /** Whether the open queue is a verification job's. */
  active() { return state.queue?.job?.taskType === "VerificationBoundingBox"; },

  /** Shows the Good / Bad panel and disables the box tools for a verification job's queue (and the reverse). */
  setUp() {
    const on = verification.active();
    document.body.dataset.task = on ? "verify" : "draw";
    $("verify-panel").hidden = !on;
    for (const id of ["mode-draw", "mode-select", "undo", "redo", "prelabel"]) $(id).disabled = on;
    if (on) setMode("select");  // no drawing crosshair over the boxes to judge
    $("stage").setAttribute("aria-label", on
      ? "Image with the boxes to verify: G good, X bad, Enter submit, ? all keys"
      : "Image: D draw, V select, B new box, [ ] pick a box, arrows move it, Enter submit, ? all keys");
    if (on && !state.queue.job.task?.shortInstruction) {
      $("short-instructions").textContent = "Look at every box: are they all tight, on the right class, and is every object boxed? Answer Good or Bad; say what is wrong in the comment.";
    }
    verification.reset();
  },

  /** A new image: the answer submitted for it, if any (`{answer, comment}` from the daemon), else none chosen. */
  reset(submitted = null) {
    $("verify-comment").value = submitted?.comment || "";
    verification.choose(submitted?.answer || null);
  },

  choose(answer) {
    verification.answer = answer;
    $("verify-good").setAttribute("aria-checked", String(answer === "good"));
    $("verify-bad").setAttribute("aria-checked", String(answer === "bad"));
    verification.renderControls();
  },

  /** Submit names the answer; undo and redo stay off (app.js's renderBoxes calls this after setting them). */
  renderControls() {
    if (!verification.active()) return;
    $("undo").disabled = $("redo").disabled = true;
    $("submit").textContent = verification.answer ? `Submit: ${verification.answer}` : "Submit";
    $("submit").setAttribute("aria-disabled", String(!verification.answer));
  },

  /** True (and says why) when an edit of boxes is asked for: a verification job's boxes are read-only. */
  blocksEdit() {
    if (!verification.active()) return false;
    showBanner("The boxes of a verification task cannot be changed: answer Good (G) or Bad (X), with a comment if something is wrong.", false, "read-only");
    return true;
  },

  /** Sends the answer and goes on to the next task, as Submit does in the other tasks. */
  submit() {
    if (!state.image) return;
    if (!verification.answer) { showBanner("Choose Good (G) or Bad (X) before submitting.", false, "read-only"); return; }
    clearBanner("read-only");
    const comment = $("verify-comment").value.trim();
    submitNow({ op: "verify", answer: verification.answer, ...(comment ? { comment } : {}) });
  },

  /** The panel's controls: the two answers, the comment (Enter in it submits). */
  wire() {
    $("verify-good").addEventListener("click", () => verification.choose("good"));
    $("verify-bad").addEventListener("click", () => verification.choose("bad"));
    $("verify-comment").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); verification.submit(); } });
  },

  /** G and X choose the answer; false for other keys. */
  onKey(key) {
    if (!verification.active()) return false;
    if (key === "g" || key === "G") verification.choose("good");
    else if (key === "x" || key === "X") verification.choose("bad");
    else return false;
    return true;
  },
};
