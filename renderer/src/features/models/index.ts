/** The models feature: the drawer's model editor and the Target view's predictions. */
export { ModelPanel } from './ModelPanel';
export { PredictionPanel } from './PredictionPanel';
