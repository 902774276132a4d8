import streamlit as st

if True
    st.write("x")
