// The UI language: English or German, following the OS locale (AppInfo.locale)
// unless the user switched (remembered in localStorage). `t(key, params)` reads
// the reactive locale, so every string in a template follows a switch at once.

import { ALL_MESSAGES, type MessageKey } from './catalog/allMessages.ts';

export type Locale = 'en' | 'de';
export const LOCALES: readonly Locale[] = ['en', 'de'];
const STORAGE_KEY = 'virtwall.locale';

export function localeFromTag(tag: string | null | undefined): Locale {
  return tag && tag.toLowerCase().startsWith('de') ? 'de' : 'en';
}

function storedLocale(): Locale | null {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'en' || v === 'de' ? v : null;
  } catch {
    return null;
  }
}

export class I18n {
  locale = $state<Locale>('en');

  /** Follows the OS locale unless the user chose a language before. */
  init(osLocale: string): void {
    this.locale = storedLocale() ?? localeFromTag(osLocale);
    this.applyToDocument();
  }

  switchTo(locale: Locale): void {
    this.locale = locale;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, locale);
    } catch {
      // Private mode: the switch still holds for this session.
    }
    this.applyToDocument();
  }

  t = (key: MessageKey, params?: Record<string, string | number>): string => {
    const text: string = ALL_MESSAGES[this.locale][key] ?? ALL_MESSAGES.en[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
  };

  /** Numbers and dates in the UI language. */
  formatDate = (iso: string): string => {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a throwaway value for formatting, never mutated
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(this.locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  };

  private applyToDocument(): void {
    if (typeof document !== 'undefined') document.documentElement.lang = this.locale;
  }
}

export const i18n = new I18n();
export const t = i18n.t;
export type { MessageKey };
