// A catalogue area: English and German side by side, so a translator sees both
// and the type checker refuses a German catalogue that misses an English key.

export type Messages = Record<string, string>;

export function defineMessages<const E extends Messages>(en: E, de: { [K in keyof E]: string }): { en: E; de: { [K in keyof E]: string } } {
  return { en, de };
}
