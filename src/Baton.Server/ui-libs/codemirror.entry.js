// The parts of CodeMirror 6 the chain editor uses, bundled into wwwroot/lib/codemirror.js.
export { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from '@codemirror/view';
export { EditorState } from '@codemirror/state';
export { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
export { syntaxHighlighting, defaultHighlightStyle, indentOnInput, bracketMatching, foldGutter } from '@codemirror/language';
export { setDiagnostics, lintGutter } from '@codemirror/lint';
export { yaml } from '@codemirror/lang-yaml';
