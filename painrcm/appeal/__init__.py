"""Appeal packets for a denial: the facts the warehouse holds, as DOCX to edit and PDF to send.

facts.py gathers, letter.py words the letter once (a list of blocks), docx_writer.py and
pdf_writer.py lay the same blocks out, practice.py reads the letterhead config.
"""
