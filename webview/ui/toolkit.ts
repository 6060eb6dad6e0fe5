/**
 * The second webview bundle (dist/toolkit.js): registers the
 * @vscode/webview-ui-toolkit elements that controls.ts creates. It loads
 * after the first maps are drawn, so the toolkit's size never delays them;
 * late-load.ts (imported first) lets the toolkit apply the theme all the same.
 */
import { releaseLateLoadListeners } from './late-load';
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDropdown,
  vsCodeOption,
  vsCodePanels,
  vsCodePanelTab,
  vsCodePanelView,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDropdown(), vsCodeOption(), vsCodePanels(), vsCodePanelTab(), vsCodePanelView());
releaseLateLoadListeners();
