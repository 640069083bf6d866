// Distinct types for beats, seconds and pixels: a number in one unit is never passed
// where another is meant without saying so.
declare const unit: unique symbol;
export type Beats = number & { readonly [unit]: 'beats' };
export type Seconds = number & { readonly [unit]: 'seconds' };
export type Pixels = number & { readonly [unit]: 'pixels' };

export const beats = (n: number): Beats => n as Beats;
export const seconds = (n: number): Seconds => n as Seconds;
export const pixels = (n: number): Pixels => n as Pixels;
