import { describe, expect, it } from 'vitest';
import { sanitizedText } from './untrustedText.js';

describe('sanitizedText', () => {
  it('keeps ordinary text, line breaks and tabs as written', () => {
    expect(sanitizedText('Lists orders.\n\n| a\t| b |', 100)).toBe('Lists orders.\n\n| a\t| b |');
  });

  it('strips control characters, bidirectional overrides and zero-width characters', () => {
    const hostile = 'Pay\u0007 \u202Eevil\u202C\u200B now\u0000\u001b[31m\u009b';
    expect(sanitizedText(hostile, 100)).toBe('Pay evil now[31m');
  });

  it('turns carriage returns into line feeds', () => {
    expect(sanitizedText('one\r\ntwo\rthree', 100)).toBe('one\ntwo\nthree');
  });

  it('cuts long text on a code point and marks the cut', () => {
    const cut = sanitizedText(`${'a'.repeat(8)}😀😀😀`, 10);
    expect(cut).toBe(`${'a'.repeat(8)}😀…`);
    expect(Array.from(cut ?? '')).toHaveLength(10);
  });

  it('answers undefined for what is not text or is left empty', () => {
    expect(sanitizedText(42, 10)).toBeUndefined();
    expect(sanitizedText({ evil: true }, 10)).toBeUndefined();
    expect(sanitizedText(' \u200B\u0007 ', 10)).toBeUndefined();
  });
});
