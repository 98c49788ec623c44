// Every catalogue area merged per language. A key used in a template that is
// not here fails the type check (MessageKey).
import { networkMessages } from './networkMessages.ts';
import { shellMessages } from './shellMessages.ts';
import { simulationMessages } from './simulationMessages.ts';
import { layerMessages } from './layerMessages.ts';
import { exportMessages } from './exportMessages.ts';
import { compareMessages } from './compareMessages.ts';
import { entityMessages } from './entityMessages.ts';
import { verdictMessages } from './verdictMessages.ts';

const areas = [shellMessages, networkMessages, simulationMessages, layerMessages, exportMessages, compareMessages, entityMessages, verdictMessages] as const;

type En = (typeof areas)[number]['en'];
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
export type MessageKey = keyof UnionToIntersection<En>;

export const ALL_MESSAGES: Record<'en' | 'de', Record<MessageKey, string>> = {
  en: Object.assign({}, ...areas.map((a) => a.en)),
  de: Object.assign({}, ...areas.map((a) => a.de)),
};
