"""`python -m dashboards.streamlit_main run app.py ...`: Streamlit's own command line, with
every page always run through app.py (st.navigation). `painrcm serve` starts this.

dashboards/pages/ sits beside app.py, and Streamlit treats such a folder as its old
multipage layout until some session in the server has run st.navigation: after a restart,
the first visitor of a deep URL (/denials) would get that page run on its own, without
app.py's sectioned navigation, page config or password gate. Declaring, before the server
starts, that the app does not use a pages directory closes that.
"""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.cli import main

PagesManager.uses_pages_directory = False

if __name__ == "__main__":
    main(prog_name="streamlit")
