/** Most targets one "Send to ASPRO2" carries (the Survey's dialog says so when more are shown). */
export const ASPRO2_MAX_TARGETS = 2000;
