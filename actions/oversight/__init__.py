"""The roll-up across councils for regional and national readers (ADASS regions, DHSC).

One row per council of the reader's scope that existed on the chosen date, with its plan for
the chosen national plan, action figures, compliance, the DHSC letter, provider risk, business
continuity plan reviews and Infection Control Fund money: every figure is an SQL aggregate of
the council's rows, one GROUP BY per family of figures over the councils in scope, all in one
UNION ALL query (selectors._figures), so a page costs the same number of queries for 2
councils or 153.
"""
