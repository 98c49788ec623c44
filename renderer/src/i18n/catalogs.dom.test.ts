// Every string exists in English and German, with the same placeholders.
import { describe, expect, it } from 'vitest';
import { ALL_MESSAGES } from './catalog/allMessages.ts';
import { I18n, localeFromTag } from './i18n.svelte.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  it('German has every English key and nothing else, none empty', () => {
    expect(Object.keys(ALL_MESSAGES.de).sort()).toEqual(Object.keys(ALL_MESSAGES.en).sort());
    for (const [key, text] of Object.entries(ALL_MESSAGES.de)) expect(text.trim(), key).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    for (const key of Object.keys(ALL_MESSAGES.en) as (keyof typeof ALL_MESSAGES.en)[]) {
      expect(placeholders(ALL_MESSAGES.de[key]), key).toEqual(placeholders(ALL_MESSAGES.en[key]));
    }
  });

  it('is really translated (German differs from English for most strings)', () => {
    const keys = Object.keys(ALL_MESSAGES.en) as (keyof typeof ALL_MESSAGES.en)[];
    const same = keys.filter((k) => ALL_MESSAGES.en[k] === ALL_MESSAGES.de[k]);
    expect(same.length / keys.length).toBeLessThan(0.15);
  });
});

describe('I18n', () => {
  it('follows the OS locale, remembers a switch, fills placeholders', () => {
    localStorage.clear();
    const i18n = new I18n();
    i18n.init('de-AT');
    expect(i18n.locale).toBe('de');
    expect(i18n.t('status.revision', { n: 4 })).toBe('Revision 4');
    expect(i18n.t('view.layers')).toBe('Schichten & Ereignisse');
    i18n.switchTo('en');
    const again = new I18n();
    again.init('de-DE');
    expect(again.locale).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(localeFromTag('en-GB')).toBe('en');
    expect(localeFromTag(undefined)).toBe('en');
  });
});
