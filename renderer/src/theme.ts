/**
 * The two looks of the app. "dark" is the default console theme; "night" is the red-light theme
 * for the dome: every colour is a red of low luminance so it does not ruin dark adaptation.
 * Plots read their colours from `plotColors(mode)` so they follow the theme too.
 */
import { createTheme, Tooltip, type BadgeVariant, type MantineColorsTuple } from '@mantine/core';

export type ThemeMode = 'dark' | 'night';

const nightDark: MantineColorsTuple = [
  '#e06060', '#c85050', '#a84040', '#803030', '#4a1a1a', '#2e1010', '#220b0b', '#170707', '#100404', '#0a0202',
];
const nightRed: MantineColorsTuple = [
  '#ff9a9a', '#f07070', '#e05050', '#c83c3c', '#b03030', '#982828', '#802020', '#681818', '#501010', '#3a0a0a',
];

/**
 * Every Mantine colour name is a red at night, so a `color="yellow"` alert or an orange badge
 * written for the dark theme cannot bring a bright hue into the dome.
 */
const NIGHT_HUES = ['red', 'pink', 'grape', 'violet', 'indigo', 'blue', 'cyan', 'teal', 'green', 'lime', 'yellow', 'orange'] as const;

/**
 * Tooltips open on hover only. Opening on focus too (Mantine's default) left a tooltip standing
 * over the next control after every click, since a clicked button keeps the focus; every control
 * with a tooltip also has an aria-label.
 */
const components = {
  Tooltip: Tooltip.extend({ defaultProps: { events: { hover: true, focus: false, touch: false }, openDelay: 300 } }),
};

/** Mantine theme of a mode. */
export function themeFor(mode: ThemeMode) {
  if (mode === 'night') {
    return createTheme({
      primaryColor: 'night',
      colors: { ...Object.fromEntries(NIGHT_HUES.map((h) => [h, nightRed])), dark: nightDark, night: nightRed, gray: nightDark },
      white: '#e06060',
      black: '#0a0202',
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      components,
      other: { mode },
    });
  }
  return createTheme({
    primaryColor: 'indigo',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    components,
    other: { mode },
  });
}

/** NSS final-priority colours (P1 red, P2 blue, P3 green, P4 orange) per mode. */
export function priorityColor(priority: number | null, mode: ThemeMode): string {
  if (priority === null) return mode === 'night' ? '#622' : '#868e96';
  if (mode === 'night') return ['#ff6b6b', '#c44', '#a33', '#822'][priority - 1] ?? '#822';
  return ['#fa5252', '#4c6ef5', '#40c057', '#fd7e14'][priority - 1] ?? '#868e96';
}

/** "P1" … "P4", or "–" for a target NSS does not rank. */
export function priorityLabel(priority: number | null): string {
  return priority === null ? '–' : `P${priority}`;
}

/** Mantine colour names for priority badges. */
export function priorityBadgeColor(priority: number | null, mode: ThemeMode): string {
  if (mode === 'night') return 'night';
  if (priority === null) return 'gray';
  return ['red', 'blue', 'green', 'orange'][priority - 1] ?? 'gray';
}

/**
 * A P1–P4 badge that stays readable when every hue is the same red: the fill says the priority
 * too (P1 solid, P2 tinted, P3 outlined, P4 a dot), in both themes so the look is learnt once.
 */
/** A badge is never narrower than its text: Mantine lets a badge in a tight table cell shrink to "PL…". */
const WHOLE_TEXT = { minWidth: 'max-content' } as const;

export function priorityBadgeProps(priority: number | null, mode: ThemeMode): { color: string; variant: BadgeVariant; style: typeof WHOLE_TEXT } {
  const variant: BadgeVariant = priority === null ? 'default' : (['filled', 'light', 'outline', 'dot'] as const)[priority - 1] ?? 'default';
  return { color: priorityBadgeColor(priority, mode), variant, style: WHOLE_TEXT };
}

/** Outcome of a logged block as text with a shape (✓ ✗ –), so Done and Failed differ in red too. */
export const STATUS_MARK: Record<string, string> = { planned: '', done: '✓', failed: '✗', skipped: '–' };

/** A block status badge: the mark, and fill (done solid, failed outlined, skipped tinted). */
export function statusBadgeProps(status: string, mode: ThemeMode): { color: string; variant: BadgeVariant; children: string; style: typeof WHOLE_TEXT } {
  const night = mode === 'night';
  const look: Record<string, { color: string; variant: BadgeVariant }> = {
    planned: { color: night ? 'night' : 'gray', variant: 'default' },
    done: { color: night ? 'night' : 'green', variant: 'filled' },
    failed: { color: night ? 'night' : 'red', variant: 'outline' },
    skipped: { color: night ? 'night' : 'yellow', variant: 'light' },
  };
  const mark = STATUS_MARK[status] ?? '';
  return { ...(look[status] ?? look.planned), children: `${mark}${mark ? ' ' : ''}${status}`, style: WHOLE_TEXT };
}

/** Outline of a timeline block per priority (P1 solid and thick … P4 dotted), as plotly line dash names. */
export function priorityDash(priority: number | null): { dash: string; width: number } {
  return [{ dash: 'solid', width: 2.5 }, { dash: 'solid', width: 1 }, { dash: 'dash', width: 1.5 }, { dash: 'dot', width: 1.5 }][(priority ?? 4) - 1] ?? { dash: 'dot', width: 1 };
}

/** Colours plots use in a mode. */
export function plotColors(mode: ThemeMode): { text: string; grid: string; background: string; series: string[] } {
  if (mode === 'night') {
    return { text: '#d05050', grid: '#3a1010', background: 'rgba(0,0,0,0)', series: ['#ff5050', '#c03030', '#ff9090', '#902020', '#e07070', '#b04040', '#ff7070', '#a02828'] };
  }
  return {
    text: '#c1c2c5',
    grid: '#373a40',
    background: 'rgba(0,0,0,0)',
    series: ['#4dabf7', '#ff8787', '#69db7c', '#ffd43b', '#da77f2', '#ffa94d', '#3bc9db', '#a9e34b', '#f783ac', '#748ffc', '#38d9a9', '#e599f7', '#ffc078', '#66d9e8', '#c0eb75'],
  };
}
