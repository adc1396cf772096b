//! Tone scoring with editable lexicons, and term-by-term explanations.
