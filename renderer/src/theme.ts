/**
 * The two looks of the app. "dark" is the default console theme; "night" is the red-light theme
 * for the dome: every colour is a red of low luminance so it does not ruin dark adaptation.
 * Plots read their colours from `plotColors(mode)` so they follow the theme too.
 */
import { createTheme, type MantineColorsTuple } from '@mantine/core';

export type ThemeMode = 'dark' | 'night';

const nightDark: MantineColorsTuple = [
  '#e06060', '#c85050', '#a84040', '#803030', '#4a1a1a', '#2e1010', '#220b0b', '#170707', '#100404', '#0a0202',
];
const nightRed: MantineColorsTuple = [
  '#ff9a9a', '#f07070', '#e05050', '#c83c3c', '#b03030', '#982828', '#802020', '#681818', '#501010', '#3a0a0a',
];

/** Mantine theme of a mode. */
export function themeFor(mode: ThemeMode) {
  if (mode === 'night') {
    return createTheme({
      primaryColor: 'night',
      colors: { dark: nightDark, night: nightRed, gray: nightDark },
      white: '#e06060',
      black: '#0a0202',
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      other: { mode },
    });
  }
  return createTheme({
    primaryColor: 'indigo',
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
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
