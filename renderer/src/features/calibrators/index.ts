/** The calibrators feature: the screen and the drawer panel other features embed. */
export { CalibratorsPanel } from './CalibratorsPanel';
export { CalibratorsScreen } from './CalibratorsScreen';
