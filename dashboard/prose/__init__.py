"""The sentences the pages show: figures in, plain English out (pure functions, no I/O).

Every chart says in words what it shows (WCAG 2.1 text alternative) and every page opens with a
sentence that answers "are we getting better, compared with what, and is it real?".
"""
