import streamlit as st

count = st.number_input("count", value=3)
st.write("count is", count * 2)
