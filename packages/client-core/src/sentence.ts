// Error messages are read as sentences. They are put together from our own words and from text
// we do not control (a vendor's message, a caller's reason, a parser's complaint) that may or may
// not end in a period, a question mark, a newline or spaces; joined naively that gives
// "…View Login Audit Trail.. The credentials…", "token?." or a period on a line of its own.

/** Closing quotes and brackets that may follow a sentence's terminator: `(revoked token?)`. */
const CLOSERS = `"')\\]’”`;
const ENDS_AS_SENTENCE = new RegExp(`[.!?…][${CLOSERS}]*$`);

/**
 * Tidies a message made of several pieces into sentences: no whitespace at line ends or before a
 * period, one terminator where pieces met (`x.. y`, `x. . y`, `x?. y` become `x. y`, `x? y`), and
 * exactly one terminator at the end (a period is added when the text has none).
 */
export function asSentences(text: string): string {
  let out = text.replace(/[ \t]+$/gm, '').trimEnd();
  // A period that follows whitespace (a piece ended in a newline or a space) joins the word before.
  out = out.replace(/\s+\.(?=\s|$)/g, '.');
  // A terminator followed by more periods where a sentence ends (before whitespace or at the
  // end): keep the first. Dots inside a quoted value (`".."`) are the value, and stay.
  out = out.replace(/([.!?…])\.+(?=\s|$)/g, '$1');
  if (out === '') return out;
  return ENDS_AS_SENTENCE.test(out) ? out : `${out}.`;
}
