/** Labels of the models feature. */
import type { ModelSource } from '../../../../shared/models';

/** Short label of where a model comes from; fallbacks say so. */
export function sourceLabel(source: ModelSource): string {
  switch (source) {
    case 'local':
      return 'local model';
    case 'spicadb':
      return 'SPICA-DB model';
    case 'fallback-ldd':
      return 'fallback: UD of the LDD';
    case 'fallback-predicted':
      return 'fallback: UD of the predicted diameter';
    case 'none':
      return 'no model';
  }
}
