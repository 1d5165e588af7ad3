#!/usr/bin/python
from ansible_collections.linux.vnet.plugins.module_utils._vnet_kind_vxlan import Vxlan
from ansible_collections.linux.vnet.plugins.module_utils._vnet_module import run_module
def main():
    run_module(Vxlan())
if __name__ == '__main__':
    main()
