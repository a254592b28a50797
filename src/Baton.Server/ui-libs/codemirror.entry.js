// The parts of CodeMirror 6 the chain editor uses, bundled into wwwroot/lib/codemirror.js.

export { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from '@codemirror/view';
export { EditorState } from '@codemirror/state';
export { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
export { syntaxHighlighting, HighlightStyle, indentOnInput, bracketMatching } from '@codemirror/language';
export { tags } from '@lezer/highlight';
export { setDiagnostics, lintGutter } from '@codemirror/lint';
export { yaml } from '@codemirror/lang-yaml';
